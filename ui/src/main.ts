import { mount } from 'svelte'
import './app.css'
import App from './App.svelte'
import { laporkanFatal, pasangPenangkap } from './lib/galat.svelte'

pasangPenangkap()

if (import.meta.env.VITE_TIRUAN === '1') {
  // Development only: a stand-in backend so the UI runs in a plain browser.
  const { pasangTiruan } = await import('./ipc/tiruan')
  pasangTiruan(Number(import.meta.env.VITE_TIRUAN_JUMLAH ?? 250_000))
}

let app: ReturnType<typeof mount> | undefined
try {
  app = mount(App, { target: document.getElementById('app')! })
} catch (e) {
  // Mounting failed: draw a bare crash screen without Svelte so the window is never blank.
  const pesan = e instanceof Error ? e.message : String(e)
  laporkanFatal(pesan)
  const akar = document.getElementById('app')!
  akar.innerHTML = ''
  const kotak = document.createElement('div')
  kotak.id = 'layar-galat'
  kotak.setAttribute('role', 'alert')
  const judul = document.createElement('h1')
  judul.textContent = 'Aplikasi gagal dimuat'
  const isi = document.createElement('p')
  isi.textContent = pesan
  const tombol = document.createElement('button')
  tombol.textContent = 'Muat ulang'
  tombol.onclick = () => location.reload()
  kotak.append(judul, isi, tombol)
  akar.append(kotak)
}

export default app
