/** Checks that no two lessons share an `order` value (pure, so it can be unit-tested). */
export function checkUniqueOrder(lessons: readonly { file: string; order: number }[]): void {
  const seen = new Map<number, string>();
  for (const { file, order } of lessons) {
    const other = seen.get(order);
    if (other !== undefined) {
      throw new Error(
        `Two lessons share order ${order}: ${other} and ${file}. ` +
          'Give each lesson a different "order" in its frontmatter (it sets the sequence of the course).',
      );
    }
    seen.set(order, file);
  }
}
