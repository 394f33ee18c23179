import type { ListingLimits, ListingText } from './ai-provider.js';

/** Cuts at a word boundary so the title fits, without a dangling separator. */
export function fitTitle(title: string, max: number): string {
  const clean = title.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max + 1);
  const boundary = cut.lastIndexOf(' ');
  return (boundary > max / 2 ? cut.slice(0, boundary) : clean.slice(0, max)).replace(/[\s,;:–-]+$/, '');
}

/** Whatever wrote the text, the marketplace's limits hold: title length, tag count, no duplicate or empty tags. */
export function withinLimits(text: ListingText, limits: ListingLimits): ListingText {
  const tags = [...new Set(text.tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))].slice(0, limits.maxTags);
  return { ...text, title: fitTitle(text.title, limits.titleMaxLength), bulletPoints: text.bulletPoints.filter((b) => b.trim()).slice(0, 6), tags };
}
