#!/usr/bin/env bash
# Make sure the system libraries the project needs are present.
#   report: pango and harfbuzz-subset (WeasyPrint renders the PDF with them), DejaVu fonts
#   test:   the above, plus poppler-utils (pdftotext, pdftoppm) to read the PDF back,
#           and R with the survey package when it can be had (reference values are rerun in R;
#           those tests are skipped without it)
# As root it installs what is missing with apt-get; otherwise it prints the command to run.
set -euo pipefail
purpose=${1:-report}

need=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || need+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || need+=(libpangoft2-1.0-0)
# harfbuzz's subsetter makes WeasyPrint embed fonts ~1 s faster than its fontTools fallback
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so' || need+=(libharfbuzz-subset0)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
optional=()
if [ "$purpose" = test ]; then
  command -v pdftotext >/dev/null || need+=(poppler-utils)
  command -v Rscript >/dev/null || optional+=(r-base-core r-cran-survey)
fi

[ ${#need[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  if [ ${#need[@]} -gt 0 ]; then
    echo "Missing system packages: ${need[*]}" >&2
    echo "Install them with:  sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "Optional: 'sudo apt-get install -y ${optional[*]}' lets the tests rerun the R references." >&2
  exit 0
fi
echo "Installing system packages with apt-get: ${need[*]} ${optional[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if [ ${#need[@]} -gt 0 ]; then
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ ${#optional[@]} -gt 0 ]; then
  apt-get install -y -qq --no-install-recommends "${optional[@]}" >/dev/null \
    || echo "R could not be installed; the R reference tests will be skipped." >&2
fi
