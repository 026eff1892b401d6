build-san/gobin/pclntab.o: gobin/pclntab.c gobin/gobin_internal.h \
 gobin/gobin.h bpf-lib/hotspan.bpf.h
gobin/gobin_internal.h:
gobin/gobin.h:
bpf-lib/hotspan.bpf.h:
