/* placeholder */
#ifndef SECTUN_ike_conf_H
#define SECTUN_ike_conf_H
#endif
