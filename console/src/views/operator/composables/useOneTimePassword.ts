import { computed, ref } from 'vue'

/** Where a one-time password came from: the account it belongs to and the password itself. */
export interface OneTimePassword {
  signInName: string
  name: string
  password: string
}

/**
 * A one-time password shown once: `show()` keeps it until `dismiss()`, which forgets it for good
 * (it is never stored anywhere else); `copy()` puts it on the clipboard and says whether it could.
 */
export function useOneTimePassword(clipboard: Pick<Clipboard, 'writeText'> | undefined = globalThis.navigator?.clipboard) {
  const current = ref<OneTimePassword | null>(null)
  const copied = ref(false)

  function show(value: OneTimePassword): void {
    current.value = value
    copied.value = false
  }

  async function copy(): Promise<boolean> {
    if (!current.value || !clipboard) return false
    try {
      await clipboard.writeText(current.value.password)
      copied.value = true
      return true
    } catch {
      return false
    }
  }

  function dismiss(): void {
    current.value = null
    copied.value = false
  }

  return { current, copied, visible: computed(() => current.value !== null), show, copy, dismiss }
}
