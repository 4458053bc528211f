# Pattern compiler library (userspace/lib). Included by userspace/Makefile;
# paths are relative to userspace/. Build with -I../uapi -Ilib.
LIB_SRCS := \
	lib/alphabet.c \
	lib/ast.c \
	lib/comb.c \
	lib/compile.c \
	lib/mask.c \
	lib/minimize.c \
	lib/nfa.c \
	lib/regex_parse.c \
	lib/subset.c \
	lib/util.c
