import { describe, expect, it } from 'vitest'
import { completionKind, quoteAwaitsAnswer, totalOf } from '@/views/institution/composables/quotes'

describe('a quote in yuan', () => {
  it('adds its lines exactly, in fen', () => {
    expect(totalOf(['0.1', '0.2'])).toBe('0.30')
    expect(totalOf(['3000', '600.50'])).toBe('3600.50')
    expect(totalOf(['1200'])).toBe('1200')
  })
  it('has no total while a line is not an amount', () => {
    expect(totalOf(['12,00'])).toBeNull()
    expect(totalOf(['1.234'])).toBeNull()
    expect(totalOf([''])).toBeNull()
  })
  it('awaits an answer until answered or lapsed', () => {
    const quote = { answer: null, valid_until: '2026-12-31' } as Parameters<typeof quoteAwaitsAnswer>[0]
    expect(quoteAwaitsAnswer(quote, '2026-12-31')).toBe(true)
    expect(quoteAwaitsAnswer(quote, '2027-01-01')).toBe(false)
    expect(quoteAwaitsAnswer({ ...quote!, answer: 'accepted' }, '2026-12-01')).toBe(false)
  })
})

describe('what a completion names', () => {
  it('follows the category', () => {
    expect(completionKind('inspection_testing')).toBe('report')
    expect(completionKind('certification_accreditation')).toBe('certificate')
    expect(completionKind('brand_cultivation')).toBe('deliverables')
    expect(completionKind('metrology')).toBe('any')
  })
})
