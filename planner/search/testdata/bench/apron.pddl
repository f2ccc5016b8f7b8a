; An airport-like apron, written for the benchmarks of planner/search
; (apron_bench_test.go generates its problems): planes move along linked
; segments, a plane may not enter a segment another plane blocks (a negated
; existential that Normalize compiles into derived predicates, one per
; plane, segment and other plane), and moving blocks and unblocks the
; segments behind a plane through quantified conditional effects.
(define (domain apron)
  (:requirements :typing :adl)
  (:types plane segment dir)
  (:predicates (at ?a - plane ?s - segment) (facing ?a - plane ?d - dir)
               (link ?s1 ?s2 - segment ?d - dir) (blocked ?s - segment ?a - plane)
               (shadow ?s - segment ?s2 - segment ?d - dir) (occupied ?s - segment)
               (gate ?s - segment) (parked ?a - plane) (runway ?s - segment) (gone ?a - plane))
  (:action move
    :parameters (?a - plane ?s1 ?s2 - segment ?d - dir)
    :precondition (and (at ?a ?s1) (facing ?a ?d) (link ?s1 ?s2 ?d) (not (occupied ?s2))
                       (not (exists (?b - plane) (and (not (= ?b ?a)) (blocked ?s2 ?b)))))
    :effect (and (not (at ?a ?s1)) (at ?a ?s2) (not (occupied ?s1)) (occupied ?s2)
                 (forall (?s - segment) (when (shadow ?s ?s2 ?d) (blocked ?s ?a)))
                 (forall (?s - segment) (when (and (shadow ?s ?s1 ?d) (not (shadow ?s ?s2 ?d)) (not (= ?s ?s2)))
                                              (not (blocked ?s ?a))))))
  (:action turn
    :parameters (?a - plane ?d1 ?d2 - dir ?s - segment)
    :precondition (and (at ?a ?s) (facing ?a ?d1) (not (= ?d1 ?d2)))
    :effect (and (not (facing ?a ?d1)) (facing ?a ?d2)))
  (:action park
    :parameters (?a - plane ?s - segment)
    :precondition (and (at ?a ?s) (gate ?s))
    :effect (parked ?a))
  (:action takeoff
    :parameters (?a - plane ?s - segment)
    :precondition (and (at ?a ?s) (runway ?s)
                       (forall (?b - plane) (imply (not (= ?b ?a)) (not (blocked ?s ?b)))))
    :effect (and (gone ?a) (not (at ?a ?s)) (not (occupied ?s))
                 (forall (?t - segment) (not (blocked ?t ?a))))))
