build-san/gobin/dwarf.o: gobin/dwarf.c gobin/elfsym.h \
 gobin/gobin_internal.h gobin/gobin.h bpf-lib/hotspan.bpf.h
gobin/elfsym.h:
gobin/gobin_internal.h:
gobin/gobin.h:
bpf-lib/hotspan.bpf.h:
