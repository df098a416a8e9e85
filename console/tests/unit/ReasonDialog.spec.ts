import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ReasonDialog from '@/components/ReasonDialog.vue'
import { ApiError } from '@/api/errors'
import { i18n, setLocale } from '@/i18n'

function dialog(action: (text: string) => Promise<unknown>, props: Record<string, unknown> = {}) {
  setLocale('zh-CN')
  return mount(ReasonDialog, {
    props: { open: true, title: '停用账号', label: '原因', confirmText: '停用', action, ...props },
    global: { plugins: [i18n] },
    attachTo: document.body,
  })
}

function confirmButton() {
  return document.body.querySelector<HTMLButtonElement>('[data-testid="reason-confirm"]')!
}

function reasonBox() {
  return document.body.querySelector<HTMLTextAreaElement>('textarea[data-testid="reason-input"]')!
}

afterEach(() => {
  document.body.innerHTML = ''
})

// Element Plus's rules and field messages are not drawn under jsdom (its validator passes every
// form there): the required reason and the message under the box are checked in the browser
// (tests/e2e), the sending here.
describe('ReasonDialog (a FormDialog)', () => {
  it('sends the reason trimmed, then closes and says it is done', async () => {
    const action = vi.fn(async () => undefined)
    const wrapper = dialog(action)
    await flushPromises()
    reasonBox().value = '  离职交接  '
    reasonBox().dispatchEvent(new Event('input'))
    confirmButton().click()
    await flushPromises()
    expect(action).toHaveBeenCalledWith('离职交接')
    expect(wrapper.emitted('update:open')?.at(-1)).toEqual([false])
    expect(wrapper.emitted('done')).toHaveLength(1)
  })

  it('stays open when the API refuses, and is empty again when opened anew', async () => {
    const refused = new ApiError(400, { error: 'validation_failed', title: '请求内容有误', message: 'invalid', details: { reason: ['至少 5 个字'] } })
    const wrapper = dialog(async () => { throw refused })
    await flushPromises()
    reasonBox().value = '太短'
    reasonBox().dispatchEvent(new Event('input'))
    confirmButton().click()
    await flushPromises()
    expect(wrapper.emitted('done')).toBeUndefined()
    expect(wrapper.emitted('update:open')).toBeUndefined()
    await wrapper.setProps({ open: false })
    await wrapper.setProps({ open: true })
    await flushPromises()
    expect(reasonBox().value).toBe('')
  })
})
