import { beforeEach, describe, expect, it } from 'vitest'
import { resetCatalogue, useCatalogue } from '@/composables/useCatalogue'
import { setLocale } from '@/i18n'
import { fakeFetch } from './helpers'

const catalogue = {
  categories: {}, stages: {}, events: {}, indicators: {}, errors: {}, dimensions: {}, units: {},
  statuses: { submitted: { 'zh-CN': '已提交', en: 'Submitted' } },
  notices: { demand_received: { 'zh-CN': '需求已提交', en: 'Demand received' } },
}

beforeEach(() => {
  resetCatalogue()
  setLocale('zh-CN')
})

describe('useCatalogue', () => {
  it('fetches the catalogue once and labels codes in the current language', async () => {
    const { fetch } = fakeFetch([200, catalogue])
    const { label, ready } = useCatalogue()
    useCatalogue()
    await ready()
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(label('statuses', 'submitted')).toBe('已提交')
    setLocale('en')
    expect(label('notices', 'demand_received')).toBe('Demand received')
  })

  it('shows the code itself when it has no label', async () => {
    fakeFetch([200, catalogue])
    const { label, ready } = useCatalogue()
    expect(label('statuses', 'submitted')).toBe('submitted') // not arrived yet
    await ready()
    expect(label('statuses', 'unheard_of')).toBe('unheard_of')
    expect(label('statuses', null)).toBe('')
  })
})
