import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { mount } from '@vue/test-utils'
import { deadlineStatus, durationParts, useCountdown, type Deadline } from '@/composables/useCountdown'
import { i18n, setLocale } from '@/i18n'

const NOW = Date.parse('2026-12-05T10:00:00+08:00')

function deadline(overrides: Partial<Deadline>): Deadline {
  return {
    state: 'running', due_at: '2026-12-05T13:12:00+08:00', warned: false, breached: false,
    closed_at: null, paused_remaining_seconds: null, limit_seconds: 28800, ...overrides,
  }
}

function tag(value: Deadline, locale: 'zh-CN' | 'en' = 'zh-CN') {
  setLocale(locale)
  const Tag = defineComponent({
    setup() {
      const { type, text } = useCountdown(() => value, { clock: () => NOW })
      return () => h('span', { class: type.value }, text.value)
    },
  })
  const wrapper = mount(Tag, { global: { plugins: [i18n] } })
  return { type: wrapper.classes()[0], text: wrapper.text() }
}

describe('deadlines', () => {
  it('count down while running: green, then amber once warned', () => {
    expect(tag(deadline({}))).toEqual({ type: 'success', text: '剩余 3小时12分' })
    expect(tag(deadline({ warned: true }))).toEqual({ type: 'warning', text: '剩余 3小时12分' })
    expect(tag(deadline({}), 'en')).toEqual({ type: 'success', text: '3 h12 min left' })
  })

  it('count the time over once breached, in red', () => {
    expect(tag(deadline({ state: 'breached', breached: true, due_at: '2026-12-04T10:00:00+08:00' })))
      .toEqual({ type: 'danger', text: '已超时 1天' })
    // due, though the platform has not recorded the breach yet
    expect(deadlineStatus(deadline({ due_at: '2026-12-05T09:30:00+08:00' }), NOW)).toEqual({ type: 'danger', key: 'overdue', seconds: 1800 })
  })

  it('show paused clocks as paused', () => {
    expect(tag(deadline({ state: 'paused', due_at: null }))).toEqual({ type: 'info', text: '已暂停' })
    expect(tag(deadline({ state: 'paused', due_at: null, paused_remaining_seconds: 7200 })))
      .toEqual({ type: 'info', text: '已暂停（剩余 2小时）' })
  })

  it('show closed clocks, in red when closed late', () => {
    expect(tag(deadline({ state: 'closed' }))).toEqual({ type: 'info', text: '已结束' })
    expect(tag(deadline({ state: 'closed', breached: true }))).toEqual({ type: 'danger', text: '超时结束' })
  })

  it('name durations by their two largest units', () => {
    expect(durationParts(90061)).toEqual([[1, 'days'], [1, 'hours']])
    expect(durationParts(86400 + 59)).toEqual([[1, 'days']])
    expect(durationParts(59)).toEqual([])
    expect(tag(deadline({ due_at: '2026-12-05T10:00:30+08:00' }))).toEqual({ type: 'success', text: '剩余 不足1分钟' })
  })
})
