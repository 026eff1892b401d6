build-san/gobin/sites.o: gobin/sites.c gobin/gobin_internal.h \
 gobin/gobin.h bpf-lib/hotspan.bpf.h
gobin/gobin_internal.h:
gobin/gobin.h:
bpf-lib/hotspan.bpf.h:
