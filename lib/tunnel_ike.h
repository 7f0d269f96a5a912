/* tunnel_ike: the runtime's side of the IKE engine's operations (struct
 * ike_ops in ike.h), with the struct runtime as their argument. */
#ifndef SECTUN_TUNNEL_IKE_H
#define SECTUN_TUNNEL_IKE_H

#include <stddef.h>
#include <stdint.h>

struct ike_path;
struct ike_child;

int	 tunnel_ike_spi_alloc(void *rt, const struct ike_path *p,
	    const struct ike_child *c, uint32_t *spi);
void	 tunnel_ike_spi_free(void *rt, const struct ike_path *p,
	    uint8_t proto, uint32_t spi);
int	 tunnel_ike_child_up(void *rt, const struct ike_path *p,
	    const struct ike_child *c, char *why, size_t whylen);
void	 tunnel_ike_child_down(void *rt, const struct ike_path *p,
	    const struct ike_child *c, const struct ike_child *next,
	    const char *why);
int	 tunnel_ike_child_out_up(void *rt, const struct ike_path *p,
	    const struct ike_child *c);
void	 tunnel_ike_child_retire(void *rt, const struct ike_path *p,
	    const struct ike_child *c, const struct ike_child *next);
void	 tunnel_ike_failed(void *rt, const char *tunnel, const char *why);
int	 tunnel_ike_child_stats(void *rt, const struct ike_path *p,
	    const struct ike_child *c, uint64_t *in, uint64_t *out);
struct ike_event;
void	 tunnel_ike_event(void *rt, const struct ike_event *ev);

#endif
