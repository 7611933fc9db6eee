//go:build unix && !linux

package localcloud

import "syscall"

// sysProcAttr puts each emulator in its own process group so Stop can signal the whole group.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
