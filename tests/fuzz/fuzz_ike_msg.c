/* fuzz_ike_msg: libFuzzer on the IKEv2 message codec. The input is a
 * datagram: ike_msg_decode; when it has an SK payload, its body is taken
 * as a plaintext inner chain (ike_msg_decode_inner); then every payload
 * body decoder (with an encode-and-decode-again check) and ike_msg_check.
 * What must hold on any input is in ike_fuzz.h. scripts/fuzz.sh runs it. */
#include <stddef.h>
#include <stdint.h>

#include "ike_fuzz.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)fuzz_message(data, size);
	return 0;
}
