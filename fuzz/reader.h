/*
 * fuzz/reader.h
 *	  What the fuzz targets share: their input read byte by byte, zeros
 *	  once it runs out.
 */
#ifndef SLA_FUZZ_READER_H
#define SLA_FUZZ_READER_H

#include <stddef.h>
#include <stdint.h>

typedef struct Reader
{
	const uint8_t *p;
	size_t		n;
} Reader;

static inline unsigned
read_byte(Reader *r)
{
	if (r->n == 0)
		return 0;
	r->n--;
	return *r->p++;
}

#endif
