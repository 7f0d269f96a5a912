/* placeholder */
#ifndef SECTUN_ike_net_H
#define SECTUN_ike_net_H
#endif
