/* placeholder */
#ifndef SECTUN_ike_prop_H
#define SECTUN_ike_prop_H
#endif
