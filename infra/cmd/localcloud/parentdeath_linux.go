package main

import (
	"os"
	"syscall"
)

// exitWithParent asks the kernel to send SIGTERM to this process when its parent dies.
// `go run` exits on SIGTERM without passing it on, which would otherwise leave this
// process (and the command it runs) orphaned; the SIGTERM handler then stops the
// emulators and the command as usual.
func exitWithParent() {
	ppid := os.Getppid()
	syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0)
	if os.Getppid() != ppid { // the parent died before prctl took effect
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
	}
}
