import { afterEach, describe, expect, it, vi } from 'vitest'
import { h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter, type RouteRecordRaw } from 'vue-router'
import ConsoleLayout from '@/layouts/ConsoleLayout.vue'
import { i18n } from '@/i18n'
import { useSession } from '@/composables/useSession'
import { SECTIONS } from '@/router/sections'
import { fakeFetch, tokens } from './helpers'

/** The sections' routes, each page a stand-in naming its route (the pages are not under test). */
function sectionRouter() {
  const routes: RouteRecordRaw[] = Object.values(SECTIONS).flatMap((section) => section.routes).map((route) => ({
    path: `/${route.path}`, name: route.name, component: { render: () => h('p', String(route.name)) },
  }))
  return createRouter({ history: createMemoryHistory(), routes: [{ path: '/', name: 'home', component: { render: () => h('p', 'home') } }, ...routes] })
}

const mounted: { unmount(): void }[] = []

/** Signed in as a person whose token lets them act in `act`'s roles; the layout mounted at `path`. */
async function layoutFor(act: Record<string, string>, path: string) {
  fakeFetch([201, tokens({ name: '陈静', act })])
  await useSession().signIn({ sign_in_name: 'chen.jing', password: 'secret' })
  const router = sectionRouter()
  await router.push(path)
  const wrapper = mount(ConsoleLayout, {
    attachTo: document.body,
    global: { plugins: [router, i18n], stubs: { NotificationBell: true } },
  })
  mounted.push(wrapper)
  await flushPromises()
  return { wrapper, router }
}

afterEach(async () => {
  mounted.splice(0).forEach((wrapper) => wrapper.unmount())
  document.body.innerHTML = ''
  fakeFetch([204])
  await useSession().signOut()
  vi.unstubAllGlobals()
})

describe('the console layout by keyboard', () => {
  it("opens a menu entry with Enter or Space: each entry is a tab stop", async () => {
    const { wrapper, router } = await layoutFor({ specialist: 'p-1' }, '/specialist')
    const entries = wrapper.findAll('.el-menu-item')
    expect(entries.map((entry) => entry.attributes('tabindex'))).toEqual(entries.map(() => '0'))
    await entries.find((entry) => entry.text() === '回访')!.trigger('keydown', { key: 'Enter', code: 'Enter' })
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('specialist-revisits')
    await entries.find((entry) => entry.text() === '工作站设置')!.trigger('keydown', { key: ' ', code: 'Space' })
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('specialist-station')
  })

  it("switches a person of two roles to the other's home and menu, the switcher opened and chosen by keys", async () => {
    const { wrapper, router } = await layoutFor({ specialist: 'p-1', supervisor: 'PY-AMR' }, '/specialist')
    const switcher = wrapper.get('[data-testid="role-switch"]')
    expect(switcher.text()).toContain('服务专员')
    await switcher.trigger('keydown', { key: 'Enter', code: 'Enter' })
    const choice = await vi.waitFor(() => {
      const item = [...document.querySelectorAll<HTMLElement>('.el-dropdown-menu__item')].find((found) => found.textContent?.trim() === '监管人员')
      if (!item) throw new Error('the roles are not listed yet')
      return item
    })
    choice.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }))
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('supervisor-home'))
    await flushPromises()
    expect(useSession().role.value).toBe('supervisor')
    expect(wrapper.get('[data-testid="role-switch"]').text()).toContain('监管人员')
    expect(wrapper.findAll('.el-menu-item').map((entry) => entry.text())).toContain('档案保管')
  })
})
