import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { NotFoundError } from '../errors.js';
import type { DocumentFile } from '../services/reports.js';

/**
 * Sends a PDF or CSV with its name. A Japanese name in a plain `filename=` makes Node refuse the
 * header (a 500), so the name goes in `filename*=UTF-8''…` (RFC 6266) with an ASCII fallback for
 * clients that do not read it. PDFs open in the browser; CSVs download.
 */
export function sendDocument(reply: FastifyReply, file: DocumentFile, disposition: 'inline' | 'attachment' = file.contentType === 'application/pdf' ? 'inline' : 'attachment'): FastifyReply {
  const ascii = file.asciiFilename.replace(/[^A-Za-z0-9._-]/g, '_');
  // RFC 8187 leaves `'()*` out of what may stand unencoded; encodeURIComponent lets them through.
  const encoded = encodeURIComponent(file.filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return reply
    .type(file.contentType)
    .header('content-disposition', `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`)
    .header('cache-control', 'private, no-store')
    .send(file.body);
}

const MONTHLY = /^(\d{4}-\d{2})\.(pdf|csv|summary\.csv)$/;
const FISCAL = /^(\d{4})\.(pdf|summary\.csv)$/;

/** `/reports/…`: the usage reports for the city, for managers (problem+json errors, like the API). */
const reportRoutes: FastifyPluginAsync = async (app) => {
  const { reports } = app.services;

  app.get<{ Params: { file: string } }>('/monthly/:file', async (request, reply) => {
    const match = MONTHLY.exec(request.params.file);
    if (!match) throw new NotFoundError('report');
    return sendDocument(reply, await reports.monthly(request.actor, match[1]!, match[2] as 'pdf' | 'csv' | 'summary.csv'));
  });

  app.get<{ Params: { file: string } }>('/fiscal/:file', async (request, reply) => {
    const match = FISCAL.exec(request.params.file);
    if (!match) throw new NotFoundError('report');
    return sendDocument(reply, await reports.fiscal(request.actor, match[1]!, match[2] as 'pdf' | 'summary.csv'));
  });
};

export default reportRoutes;
