/* SPDX-License-Identifier: MIT */
/* The BPF library's bitcode, embedded in the tool so it needs no install path. */
	.section .rodata
	.balign 16
	.global hs_bpflib_bitcode
hs_bpflib_bitcode:
	.incbin BITCODE
	.global hs_bpflib_bitcode_end
hs_bpflib_bitcode_end:
	.section .note.GNU-stack,"",@progbits
