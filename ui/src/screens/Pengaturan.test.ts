import { fireEvent, render, waitFor } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as ipc from '../ipc'
import { pengaturanContoh } from '../test/contoh'
import Pengaturan from './Pengaturan.svelte'

vi.mock('../ipc', async (asli) => ({
  ...(await asli<typeof import('../ipc')>()),
  pengaturan: vi.fn(),
  pengaturanSimpan: vi.fn(),
}))

beforeEach(() => {
  vi.mocked(ipc.pengaturan).mockReset()
  vi.mocked(ipc.pengaturanSimpan).mockReset()
})

describe('Pengaturan', () => {
  it('disables the inputs set by environment variables and names the variable', async () => {
    vi.mocked(ipc.pengaturan).mockResolvedValue(pengaturanContoh({ dari_lingkungan: ['hub_url', 'folder_data'] }))
    const { container } = render(Pengaturan)
    await waitFor(() => expect(container.querySelector('#hub-url')).not.toBeNull())
    const hub = container.querySelector<HTMLInputElement>('#hub-url')!
    const issuer = container.querySelector<HTMLInputElement>('#sso-issuer')!
    expect(hub.disabled).toBe(true)
    expect(document.getElementById(hub.getAttribute('aria-describedby')!)?.textContent).toMatch(
      /diatur oleh variabel lingkungan LURING_HUB/i,
    )
    expect(issuer.disabled).toBe(false)
    expect(container.querySelector<HTMLInputElement>('#folder-data')!.readOnly).toBe(true)
    expect(container.querySelector('#ket-folder')?.textContent).toMatch(/variabel lingkungan LURING_DATA/)
    expect(container.textContent).not.toMatch(/LURING_SSO_ISSUER/)
    expect(container.querySelector<HTMLButtonElement>('#simpan-pengaturan')!.disabled).toBe(false)
  })

  it('cannot save when every editable field is set by the environment', async () => {
    vi.mocked(ipc.pengaturan).mockResolvedValue(pengaturanContoh({ dari_lingkungan: ['hub_url', 'sso_issuer'] }))
    const { container } = render(Pengaturan)
    await waitFor(() => expect(container.querySelector('#hub-url')).not.toBeNull())
    expect(container.querySelector<HTMLInputElement>('#sso-issuer')!.disabled).toBe(true)
    expect(container.querySelector<HTMLButtonElement>('#simpan-pengaturan')!.disabled).toBe(true)
  })

  it('lets the backend judge the URLs (novalidate) and shows its message', async () => {
    vi.mocked(ipc.pengaturan).mockResolvedValue(pengaturanContoh())
    vi.mocked(ipc.pengaturanSimpan).mockRejectedValue(
      new ipc.GalatIpc({ code: 'konfigurasi', message: 'Alamat hub "hub kantor" bukan URL; tulis seperti https://hub.contoh.go.id.' }),
    )
    const { container } = render(Pengaturan)
    await waitFor(() => expect(container.querySelector('#hub-url')).not.toBeNull())
    expect(container.querySelector('form')?.hasAttribute('novalidate')).toBe(true)
    await fireEvent.input(container.querySelector('#hub-url')!, { target: { value: 'hub kantor' } })
    await fireEvent.click(container.querySelector('#simpan-pengaturan')!)
    await waitFor(() => expect(container.querySelector('[role=alert]')?.textContent).toMatch(/bukan URL/))
    expect(vi.mocked(ipc.pengaturanSimpan).mock.calls[0]![0].hub_url).toBe('hub kantor')
  })
})
