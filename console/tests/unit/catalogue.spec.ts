import { describe, expect, it } from 'vitest'
import { detailsBody, messagesUnder } from '@/composables/useServiceCatalogue'
import { publishedBody, type CatalogueDocument } from '@/views/supervisor/composables/useCatalogueEditor'

describe('the service catalogue', () => {
  it("gathers every message the API gave beneath a field's path", () => {
    const details = { categories: { 2: { sub_items: { 0: { qualifications: { 1: ['须为以下之一'] }, code: ['重复'] } } } } }
    expect(messagesUnder(details, 'categories.2.sub_items.0.qualifications')).toBe('须为以下之一')
    expect(messagesUnder(details, 'categories.2.sub_items.0')).toBe('须为以下之一；重复')
    expect(messagesUnder(details, 'categories.1')).toBeUndefined()
  })
  it('publishes the draft whole, with the reason and without empty limits', () => {
    const document: CatalogueDocument = {
      terms: [{ term: '灯具', synonyms: ['照明器具'], broader: [] }],
      categories: [{ code: 'metrology', sub_items: [{
        code: 'calibration', name: { 'zh-CN': '校准', en: 'Calibration' }, qualifications: ['METROLOGY'], fields: [],
        time_limits: { follow_up: ' ', assessment: '2d' },
      }] }],
    }
    const body = publishedBody(document, ' 新增 ')
    expect(body.reason).toBe('新增')
    expect(body.categories[0]?.sub_items[0]?.time_limits).toEqual({ assessment: '2d' })
  })
  it('sends only the fields a sub-item asks', () => {
    expect(detailsBody(undefined, { a: 1 })).toEqual({})
  })
})
