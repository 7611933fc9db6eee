package localcloud

import "syscall"

// sysProcAttr puts each emulator in its own process group (so Stop can signal the
// whole group) and has the kernel kill it if this process dies without calling Stop.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
