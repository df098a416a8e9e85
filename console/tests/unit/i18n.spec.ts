import { describe, expect, it } from 'vitest'
import { en, zhCN } from '@/i18n'

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  )
}

describe('messages', () => {
  // The common words and every role's (src/views/<role>/messages.ts), merged as the console uses them.
  it('have exactly the same keys in Chinese and English', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort())
  })

  it('leave no message empty', () => {
    for (const tree of [zhCN, en]) {
      const empty = keys(tree).filter((key) => !key.split('.').reduce<any>((node, part) => node[part], tree).trim())
      expect(empty).toEqual([])
    }
  })
})
