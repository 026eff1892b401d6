build-san/gobin/gobin.o: gobin/gobin.c gobin/elfsym.h \
 gobin/gobin_internal.h gobin/gobin.h bpf-lib/hotspan.bpf.h
gobin/elfsym.h:
gobin/gobin_internal.h:
gobin/gobin.h:
bpf-lib/hotspan.bpf.h:
