; Optimal: 6 steps: noop-pre x1 and x2 (every thing p), shadow x1 (q x1,
; every thing at home_1), shadow x2 (q x2), big x1 x2 x1 home_1 o o, g.
; impl is never applicable ((imply flag flag) is always true).
(define (problem scopes-p1) (:domain SCOPES)
 (:requirements :strips)
 (:objects x1 x2 - thing lb - loc_b o)
 (:init (at x1 lb) (at x2 lb))
 (:goal (and (flag) (= x1 x1) (not (= x1 x2)) (forall (?z - loc_b) (exists (?t - thing) (at ?t ?z)))
             (forall (?e - empty-type) (p ?e)) (not (exists (?e - empty-type) (p ?e))) (q x2)
             (big x1 x2 x1 home_1 o o))))
