// Renders the app and tray icons in resources/icons/ from one SVG (a traffic light on the control room's dark
// blue). Run from the repository root: node tools/icons/make-icons.mjs; the PNGs are committed.
import sharp from 'sharp';

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
  <rect x="16" y="16" width="480" height="480" rx="96" fill="#0f1a2b"/>
  <rect x="176" y="56" width="160" height="400" rx="48" fill="#1f2d44" stroke="#8fb3e0" stroke-width="12"/>
  <circle cx="256" cy="136" r="46" fill="#e5484d"/>
  <circle cx="256" cy="256" r="46" fill="#f5a524"/>
  <circle cx="256" cy="376" r="46" fill="#30a46c"/>
</svg>`;

for (const [file, size] of [['icon.png', 512], ['tray.png', 32], ['tray@2x.png', 64]]) {
  await sharp(Buffer.from(svg)).resize(size, size).png({ compressionLevel: 9 }).toFile(`resources/icons/${file}`);
  console.log(`wrote resources/icons/${file} (${size}×${size})`);
}
