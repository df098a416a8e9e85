import { onScopeDispose, ref } from 'vue'

/** The layout's phone width (its menu turns into a row at 768 px). */
export const NARROW_QUERY = '(max-width: 768px)'

/** Whether the window is a phone's width now (tables and descriptions then stack vertically). */
export function useNarrow(query = NARROW_QUERY) {
  const media = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(query) : null
  const narrow = ref(media?.matches ?? false)
  const update = (event: MediaQueryListEvent) => (narrow.value = event.matches)
  media?.addEventListener('change', update)
  onScopeDispose(() => media?.removeEventListener('change', update))
  return narrow
}
