import { describe, expect, it } from 'vitest'
import { nextStatuses } from '@/composables/useProjects'

describe('nextStatuses', () => {
  it('offers only the moves the API allows, a patent granted and a trademark registered', () => {
    expect(nextStatuses({ kind: 'invention_patent', status: 'filed' })).toEqual(['accepted', 'rejected', 'withdrawn'])
    expect(nextStatuses({ kind: 'invention_patent', status: 'examined' })).toEqual(['granted', 'rejected', 'withdrawn'])
    expect(nextStatuses({ kind: 'trademark', status: 'examined' })).toEqual(['registered', 'rejected', 'withdrawn'])
    expect(nextStatuses({ kind: 'design', status: 'granted' })).toEqual([])
  })
})
