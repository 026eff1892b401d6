build-san/gobin/elfsym.o: gobin/elfsym.c gobin/elfsym.h
gobin/elfsym.h:
