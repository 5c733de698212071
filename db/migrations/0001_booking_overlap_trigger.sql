-- SQLite has no exclusion constraint: these triggers refuse a live booking that overlaps another
-- live booking of the same space, or of its whole room or one of its parts, whatever code path
-- writes it. The lower bound on start_at (bookings never last a day) keeps the check on the index.
CREATE TRIGGER bookings_no_overlap_insert
BEFORE INSERT ON bookings
WHEN NEW.status IN ('provisional', 'confirmed')
BEGIN
  SELECT RAISE(ABORT, 'booking_overlap')
  WHERE EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.status IN ('provisional', 'confirmed')
      AND b.start_at > strftime('%Y-%m-%dT%H:%M:%fZ', NEW.start_at, '-1 day')
      AND b.start_at < NEW.end_at
      AND b.end_at > NEW.start_at
      AND (
        b.space_id = NEW.space_id
        OR EXISTS (SELECT 1 FROM space_parts p
                   WHERE (p.whole_id = b.space_id AND p.part_id = NEW.space_id)
                      OR (p.whole_id = NEW.space_id AND p.part_id = b.space_id))
      )
  );
END;
--> statement-breakpoint
CREATE TRIGGER bookings_no_overlap_update
BEFORE UPDATE OF space_id, start_at, end_at, status ON bookings
WHEN NEW.status IN ('provisional', 'confirmed')
BEGIN
  SELECT RAISE(ABORT, 'booking_overlap')
  WHERE EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.id <> NEW.id
      AND b.status IN ('provisional', 'confirmed')
      AND b.start_at > strftime('%Y-%m-%dT%H:%M:%fZ', NEW.start_at, '-1 day')
      AND b.start_at < NEW.end_at
      AND b.end_at > NEW.start_at
      AND (
        b.space_id = NEW.space_id
        OR EXISTS (SELECT 1 FROM space_parts p
                   WHERE (p.whole_id = b.space_id AND p.part_id = NEW.space_id)
                      OR (p.whole_id = NEW.space_id AND p.part_id = b.space_id))
      )
  );
END;
