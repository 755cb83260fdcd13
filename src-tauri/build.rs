//! Tauri's build step: reads `tauri.conf.json` and `capabilities/`, checks the icon and `frontendDist`
//! (`../ui/dist`, which must exist: `npm run build` in `ui/`), and generates the permission schemas.

fn main() {
    tauri_build::build();
}
