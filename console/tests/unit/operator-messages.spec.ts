import { describe, expect, it } from 'vitest'
import { baseCompile } from '@intlify/message-compiler'
import operator from '@/views/operator/messages'

function leaves(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[prefix + key, value] as [string, string]] : leaves(value as object, `${prefix}${key}.`))
}

describe("the operator's words", () => {
  it.each(['zh-CN', 'en'] as const)('compile as vue-i18n messages (%s)', (locale) => {
    for (const [key, message] of leaves(operator[locale])) {
      const errors: string[] = []
      baseCompile(message, { onError: (error) => errors.push(error.message) })
      expect(errors, key).toEqual([])
    }
  })
})
