import { computed, onScopeDispose, ref, toValue, type MaybeRefOrGetter } from 'vue'
import { useI18n } from 'vue-i18n'
import type { components } from '@/api/client'

export type Deadline = components['schemas']['DeadlineView']
export type TagType = 'success' | 'warning' | 'danger' | 'info'

/** What a deadline's tag says, before translation: an i18n key and the seconds it names. */
export interface DeadlineStatus {
  type: TagType
  key: 'remaining' | 'overdue' | 'paused' | 'pausedRemaining' | 'closed' | 'closedLate'
  seconds?: number
}

/**
 * A demand's deadline (`deadlines.<stage>`) at `now` (ms): green while running, amber once
 * warned (approaching), red once breached, grey while paused or closed.
 */
export function deadlineStatus(deadline: Deadline, now: number): DeadlineStatus {
  const due = deadline.due_at ? Date.parse(deadline.due_at) : NaN
  switch (deadline.state) {
    case 'closed':
      return deadline.breached ? { type: 'danger', key: 'closedLate' } : { type: 'info', key: 'closed' }
    case 'paused':
      return deadline.paused_remaining_seconds != null
        ? { type: 'info', key: 'pausedRemaining', seconds: deadline.paused_remaining_seconds }
        : { type: 'info', key: 'paused' }
    default:
      if (Number.isNaN(due)) return { type: deadline.breached ? 'danger' : 'info', key: 'paused' }
      if (deadline.state === 'breached' || deadline.breached || due <= now) {
        return { type: 'danger', key: 'overdue', seconds: Math.max(0, (now - due) / 1000) }
      }
      return { type: deadline.warned ? 'warning' : 'success', key: 'remaining', seconds: (due - now) / 1000 }
  }
}

/** Seconds as the two largest units that are not zero: [[3, 'hours'], [12, 'minutes']]. */
export function durationParts(seconds: number): [number, 'days' | 'hours' | 'minutes'][] {
  const minutes = Math.floor(seconds / 60)
  const parts: [number, 'days' | 'hours' | 'minutes'][] = [
    [Math.floor(minutes / 1440), 'days'],
    [Math.floor((minutes % 1440) / 60), 'hours'],
    [minutes % 60, 'minutes'],
  ]
  const first = parts.findIndex(([n]) => n > 0)
  return first < 0 ? [] : parts.slice(first, first + 2).filter(([n]) => n > 0)
}

/** The time now, ticking every `interval` ms while a component uses it. */
export function useNow(interval = 30_000, clock: () => number = Date.now) {
  const now = ref(clock())
  const timer = setInterval(() => (now.value = clock()), interval)
  onScopeDispose(() => clearInterval(timer))
  return now
}

/**
 * A deadline's tag: `type` for ElTag and `text` such as "剩余 3小时12分", "已超时 1天" or "已暂停".
 * `clock` stands in for Date.now in tests.
 */
export function useCountdown(
  deadline: MaybeRefOrGetter<Deadline | null | undefined>,
  options: { clock?: () => number; interval?: number } = {},
) {
  const { t } = useI18n()
  const now = useNow(options.interval, options.clock)
  const status = computed(() => {
    const value = toValue(deadline)
    return value ? deadlineStatus(value, now.value) : null
  })
  function duration(seconds: number): string {
    const parts = durationParts(seconds)
    return parts.length ? parts.map(([n, unit]) => t(`deadline.${unit}`, { n })).join('') : t('deadline.lessThanMinute')
  }
  return {
    status,
    type: computed<TagType>(() => status.value?.type ?? 'info'),
    text: computed(() => {
      const value = status.value
      if (!value) return ''
      return t(`deadline.${value.key}`, value.seconds === undefined ? {} : { duration: duration(value.seconds) })
    }),
  }
}
