import { describe, expect, it } from 'vitest'
import { baseCompile } from '@intlify/message-compiler'
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

  // vue-i18n reads some characters as syntax (`@` starts a link, `{` a placeholder): a message
  // that does not compile throws only when a page shows it.
  it.each([['zh-CN', zhCN], ['en', en]] as const)('compile as vue-i18n messages (%s)', (_, tree) => {
    for (const key of keys(tree)) {
      const message = key.split('.').reduce<any>((node, part) => node[part], tree) as string
      const errors: string[] = []
      baseCompile(message, { onError: (error) => errors.push(error.message) })
      expect(errors, key).toEqual([])
    }
  })
})
