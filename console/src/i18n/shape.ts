/** The shape a message tree's translation must have: the same keys, strings for strings. */
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> }

/** A part of the console's words in both languages, the English checked against the Chinese. */
export function words<T extends object>(zhCN: T, en: Shape<T>): { 'zh-CN': T; en: Shape<T> } {
  return { 'zh-CN': zhCN, en }
}
