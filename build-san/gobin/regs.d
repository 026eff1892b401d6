build-san/gobin/regs.o: gobin/regs.c gobin/gobin.h bpf-lib/hotspan.bpf.h
gobin/gobin.h:
bpf-lib/hotspan.bpf.h:
