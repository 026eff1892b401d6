build-san/lang/nearest.o: lang/nearest.c lang/nearest.h
lang/nearest.h:
