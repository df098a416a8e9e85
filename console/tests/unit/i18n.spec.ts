import { describe, expect, it } from 'vitest'
import zhCN from '@/i18n/zh-CN'
import en from '@/i18n/en'

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  )
}

describe('messages', () => {
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
