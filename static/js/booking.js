// Small conveniences on the booking form. Everything works without this file: the server checks
// every value and the form shows every field.

const form = document.querySelector('.booking-form');

// The end of a repeat only matters when the booking repeats.
const repeat = form?.querySelector('[data-repeat]');
const repeatEnd = form?.querySelector('[data-repeat-end]');
if (repeat && repeatEnd) {
  const sync = () => {
    const chosen = repeat.querySelector('input[name="repeat"]:checked');
    repeatEnd.hidden = !chosen || chosen.value === 'none';
  };
  repeat.addEventListener('change', sync);
  sync();
}

// "Every month on the same weekday" names the weekday of the chosen date (第2水曜日).
const example = form?.querySelector('[data-monthly-example]');
const date = form?.querySelector('#field-date');
if (example && date) {
  const weekdays = (example.dataset.weekdays ?? '').split(',');
  const update = () => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.value);
    if (!m) return;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    if (Number.isNaN(d.getTime()) || d.getUTCDate() !== Number(m[3])) return;
    const weekday = weekdays[(d.getUTCDay() + 6) % 7] ?? '';
    const n = Math.ceil(d.getUTCDate() / 7);
    const text = n === 5
      ? (example.dataset.last ?? '').replace('{weekday}', weekday)
      : (example.dataset.nth ?? '').replace('{n}', String(n)).replace('{weekday}', weekday);
    example.textContent = (example.dataset.template ?? '').replace('{example}', text);
  };
  date.addEventListener('change', update);
  date.addEventListener('input', update);
}

// Moving the start past the end moves the end to an hour after the start (the shortest booking).
const start = form?.querySelector('#field-start');
const end = form?.querySelector('#field-end');
if (start && end) {
  start.addEventListener('change', () => {
    if (!start.value || (end.value && end.value > start.value)) return;
    const [h, m] = start.value.split(':').map(Number);
    const later = `${String(h + 1).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
    if ([...end.options].some((o) => o.value === later)) end.value = later;
  });
}
