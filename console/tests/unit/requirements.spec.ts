import { describe, expect, it } from 'vitest'
import {
  failingNames, itemName, recordBody, recordForm, stateTag, type RequirementItem, type Requirements,
} from '@/components/requirements/requirements'

function item(overrides: Partial<RequirementItem>): RequirementItem {
  return {
    code: 'area_m2', group: 'construction', owner: 'station', name: { 'zh-CN': '办公场所面积', en: 'Floor area' },
    kind: 'measure', minimum: 20, unit: 'm²', derived: false, evidence_required: true, state: 'not_recorded',
    why: null, record: null, ...overrides,
  }
}

describe('station requirements', () => {
  it('sends a measure its number, a fact its yes or no and a document no value', () => {
    const area = item({})
    expect(recordBody(area, { ...recordForm(area), measure: 120.5, note: ' ground floor ' }, ['a'.repeat(64)]))
      .toEqual({ value: 120.5, note: 'ground floor', evidence: ['a'.repeat(64)] })
    const signs = item({ code: 'signage_gb_t_10001_1', kind: 'fact', minimum: null })
    expect(recordBody(signs, { ...recordForm(signs), fact: true }, [])).toEqual({ value: true, note: null, evidence: [] })
    const rules = item({ code: 'station_rules', kind: 'document', minimum: null })
    expect(recordBody(rules, recordForm(rules), [])).toEqual({ note: null, evidence: [] })
  })

  it('names the failing items in the console language and colours states', () => {
    const requirements = {
      items: [item({ state: 'not_met' })],
      conformity: { status: 'non_conforming', failing: ['area_m2', 'gone'], not_recorded: [], met: 0, total: 1, checklist_version: 'v' },
    } as unknown as Requirements
    expect(failingNames(requirements, 'en')).toEqual(['Floor area', 'gone'])
    expect(itemName(item({}), 'zh-CN')).toBe('办公场所面积')
    expect([stateTag('met'), stateTag('non_conforming'), stateTag('incomplete')]).toEqual(['success', 'danger', 'info'])
  })
})
