import type { FastifyPluginAsync } from 'fastify';
import { forbiddenPage, toLogin } from './access.js';

const PAGE = '/manage/reports';

/** 利用状況報告: the months and fiscal years a manager can download as PDF and CSV (routes/reports.ts serves the files). */
const reportPages: FastifyPluginAsync = async (app) => {
  const { reports } = app.services;

  app.get(PAGE, async (request, reply) => {
    if (!request.actor) return toLogin(request, reply, PAGE);
    if (request.actor.role !== 'manager') return forbiddenPage(reply, 'error.managersOnly');
    return reply.page('reports/index', { index: reports.index(request.actor) });
  });
};

export default reportPages;
