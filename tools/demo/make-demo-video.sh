#!/usr/bin/env bash
# Makes resources/demo/street-demo.mp4, the demo camera of a first start, from the street photos in
# ../shared/data/images (see resources/NOTICE.md for their sources and licences). Each photo is shown for six
# seconds while a 1280×720 window pans across it, so road users move the way they do past a camera and the
# tracker sees speed. Run from the repository root after `npm ci`; the result is committed.
set -euo pipefail
images="${1:-../shared/data/images}"
out="resources/demo/street-demo.mp4"
ffmpeg="$(node -e "process.stdout.write(require('@ffmpeg-installer/ffmpeg').path)")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
index=0
for photo in crosswalk_pedestrians_cars nyc_street_bus_taxi street_pedestrian_car roadside_motorcycles; do
  index=$((index + 1))
  "$ffmpeg" -hide_banner -loglevel error -y -loop 1 -framerate 10 -t 6 -i "$images/$photo.jpg" \
    -vf "scale=1600:900:force_original_aspect_ratio=increase,crop=1280:720:x='(iw-1280)*t/6':y='(ih-720)/2',format=yuv420p" \
    -r 10 -c:v libx264 -preset veryfast -crf 30 -bitexact "$work/part$index.mp4"
  echo "file '$work/part$index.mp4'" >> "$work/parts.txt"
done
"$ffmpeg" -hide_banner -loglevel error -y -f concat -safe 0 -i "$work/parts.txt" -c copy -movflags +faststart "$out"
echo "wrote $out ($(stat -c %s "$out") bytes)"
