; The checkout till's Windows installer, in English and Simplified Chinese. `make package-windows` builds it:
;   makensis -INPUTCHARSET UTF8 -DVERSION=1.2.3 -DVERSION4=1.2.3.0 -DEXE=…\checkout.exe
;            -DDLL=…\libusb-1.0.dll -DICON=…\checkout.ico -DOUTFILE=…\checkout-1.2.3-setup.exe checkout.nsi
; It installs checkout.exe with libusb-1.0.dll beside it in Program Files\Checkout for every user, a
; Start-menu shortcut, and an uninstaller listed in Apps / Add or Remove Programs. The till's data
; (%LOCALAPPDATA%\checkout: database, card key, backups) belongs to the shop: neither touches it.

Unicode true
!include "MUI2.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

!ifndef VERSION | VERSION4 | EXE | DLL | ICON | OUTFILE
  !error "define VERSION, VERSION4, EXE, DLL, ICON and OUTFILE (see the top of this file)"
!endif

!define APP "Checkout"
!define PUBLISHER "Checkout"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Checkout"
!define APP_KEY "Software\Checkout"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\Checkout"
InstallDirRegKey HKLM "${APP_KEY}" "InstallDir"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
; The language chosen at install is remembered for the uninstaller.
!define MUI_LANGDLL_REGISTRY_ROOT HKLM
!define MUI_LANGDLL_REGISTRY_KEY "${APP_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "Installer Language"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\checkout.exe"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_RESERVEFILE_LANGDLL

VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP} ${VERSION} setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${PUBLISHER}"

LangString Needs64Bit ${LANG_ENGLISH} "Checkout needs 64-bit Windows."
LangString Needs64Bit ${LANG_SIMPCHINESE} "Checkout 收银台需要 64 位 Windows。"
LangString ShortcutDesc ${LANG_ENGLISH} "Shop till: scan, sell, take payment"
LangString ShortcutDesc ${LANG_SIMPCHINESE} "收银台：扫码、销售、收款"
LangString DataKept ${LANG_ENGLISH} "The till's data in $LOCALAPPDATA\checkout is kept."
LangString DataKept ${LANG_SIMPCHINESE} "收银数据（$LOCALAPPDATA\checkout）已保留。"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "$(Needs64Bit)"
    Abort
  ${EndIf}
  SetRegView 64
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Function un.onInit
  SetRegView 64
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Section "Checkout" SecMain
  SectionIn RO
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  File "/oname=checkout.exe" "${EXE}"
  File "/oname=libusb-1.0.dll" "${DLL}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\Checkout.lnk" "$INSTDIR\checkout.exe" "" "$INSTDIR\checkout.exe" 0 \
    SW_SHOWNORMAL "" "$(ShortcutDesc)"

  WriteRegStr HKLM "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\checkout.exe,0"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "$SMPROGRAMS\Checkout.lnk"
  Delete "$INSTDIR\checkout.exe"
  Delete "$INSTDIR\libusb-1.0.dll"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR" ; only when empty: nothing but what was installed is removed
  ; `checkout autostart on` put a command file in the Startup folder of the user who ran it: remove the
  ; uninstalling user's, which would start a program that is gone.
  SetShellVarContext current
  Delete "$SMSTARTUP\Checkout.cmd"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "${APP_KEY}"
  ; %LOCALAPPDATA%\checkout (database, card key, backups) is the shop's and stays.
  DetailPrint "$(DataKept)"
SectionEnd
