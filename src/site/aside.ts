/**
 * The label an `<Aside>` without a `title` gets, per `type`: on the page (src/components/Aside.astro,
 * where TypeScript checks it names every type of its Props) and in the Jupyter export
 * (notebook-export.ts), so both say the same.
 */
export const ASIDE_LABELS = { note: 'Note', tip: 'Tip', warning: 'Watch out' } as const;
