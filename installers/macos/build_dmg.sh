#!/usr/bin/env bash
# Sign Beratungskonsole.app (hardened runtime), pack it into a DMG, sign and notarize the DMG.
#
#   installers/macos/build_dmg.sh dist/Beratungskonsole.app dist/advisor-console-0.1.0.dmg
#
# Environment:
#   CODESIGN_IDENTITY  "Developer ID Application: Name (TEAMID)"; empty: ad hoc ("-"), which
#                      runs on the build Mac and in CI but is refused by Gatekeeper elsewhere.
#   NOTARY_PROFILE     a notarytool keychain profile (xcrun notarytool store-credentials);
#                      empty: no notarization.
set -euo pipefail

app=${1:?path of Beratungskonsole.app}
dmg=${2:?path of the DMG to write}
here=$(cd "$(dirname "$0")" && pwd)
entitlements="$here/entitlements.plist"
identity=${CODESIGN_IDENTITY:--}
if [ "$identity" = "-" ]; then timestamp=(--timestamp=none); else timestamp=(--timestamp); fi

# PyInstaller signed every binary inside; the bundle is signed last, with the entitlements,
# because the language folders were added after PyInstaller's own signature.
codesign --force "${timestamp[@]}" --options runtime --entitlements "$entitlements" \
  --sign "$identity" "$app"
codesign --verify --deep --strict --verbose=2 "$app"
codesign --display --entitlements - "$app" | grep -q com.apple.security.device.camera

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
ditto "$app" "$stage/$(basename "$app")"
ln -s /Applications "$stage/Applications"
rm -f "$dmg"
hdiutil create -volname "Beratungskonsole" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
codesign --force "${timestamp[@]}" --sign "$identity" "$dmg"

if [ -n "${NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "$dmg" --keychain-profile "$NOTARY_PROFILE" --wait
  xcrun stapler staple "$dmg"
  xcrun stapler validate "$dmg"
  spctl --assess --type open --context context:primary-signature --verbose=2 "$dmg"
else
  echo "not notarized (NOTARY_PROFILE is empty)"
fi
echo "$dmg"
