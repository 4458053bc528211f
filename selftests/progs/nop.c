// SPDX-License-Identifier: GPL-2.0
/* nop: the smallest static program, exec'd by tests and the benchmark. */
int main(void)
{
	return 0;
}
