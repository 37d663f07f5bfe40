// The server's presence list as the page shows it: two people with one name are told apart by a
// short tag derived from their socket id (shown only then), and everyone gets an avatar colour
// from their id, so the same person keeps the same colour on every page.

function hash(text) {
  let h = 0x811c9dc5; // FNV-1a: small, and spreads close ids apart
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const key = (name) => name.trim().toLocaleLowerCase();

/**
 * @param {unknown} list  the `online` payload: [{id, name, busy?}, ...]
 * @returns {{id: string, name: string, busy: boolean, tag: string, label: string, hue: number}[]}
 */
export function peopleFrom(list) {
  const people = Array.isArray(list)
    ? list.filter((p) => p && typeof p.id === 'string').map((p) => ({
      id: p.id,
      name: typeof p.name === 'string' && p.name ? p.name : p.id,
      busy: p.busy === true,
    }))
    : [];
  const counts = new Map();
  for (const p of people) counts.set(key(p.name), (counts.get(key(p.name)) ?? 0) + 1);
  return people.map((p) => {
    const h = hash(p.id);
    const tag = counts.get(key(p.name)) > 1 ? `#${h.toString(36).slice(-4).padStart(4, '0')}` : '';
    return { ...p, tag, label: tag ? `${p.name} ${tag}` : p.name, hue: h % 360 };
  });
}
