build-san/output/histout.o: output/histout.c output/histout.h
output/histout.h:
