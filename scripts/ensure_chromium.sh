#!/bin/sh
# Ensure the Debian Chromium package is installed (used by Playwright browser tests).
# Idempotent: exits 0 immediately if /usr/bin/chromium already exists.
# Never downloads a browser build; only uses the distribution package manager.
set -eu

CHROMIUM=/usr/bin/chromium

# Chinese fonts too, so pages lay out (and screenshots read) as users see them.
has_cjk_fonts() { fc-list :lang=zh 2>/dev/null | grep -q .; }

if [ -x "$CHROMIUM" ] && has_cjk_fonts; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    echo "Chromium not found; installing Debian package 'chromium' via apt-get ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk
    if [ -x "$CHROMIUM" ]; then
        echo "Chromium installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
        exit 0
    fi
    echo "ERROR: apt-get finished but $CHROMIUM is still missing." >&2
    exit 1
fi

cat >&2 <<MSG
ERROR: Chromium is not installed ($CHROMIUM not found). It is required for the browser tests.
Install it as root with:
    sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk
(Optional, so Chinese text renders in screenshots: sudo apt-get install -y fonts-noto-cjk)

错误：未安装 Chromium（找不到 $CHROMIUM），浏览器测试需要它。
请以 root 身份安装：
    sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk
（可选，使截图中的中文正常显示：sudo apt-get install -y fonts-noto-cjk）
MSG
exit 1
