; Derived predicates: reach is recursive (and uses equality with a
; constant), isolated negates it a stratum above, connected quantifies
; over it; derived atoms appear in preconditions, in effect conditions and
; in goals.
(define (domain network)
  (:requirements :typing :derived-predicates :negative-preconditions
                 :conditional-effects :equality :quantified-preconditions)
  (:types node)
  (:constants src - node)
  (:predicates (edge ?a ?b - node) (open ?a ?b - node) (reach ?n - node)
               (isolated ?n - node) (connected) (alarm) (served ?n - node))
  (:derived (reach ?n - node) (= ?n src))
  (:derived (reach ?n - node) (exists (?m - node) (and (reach ?m) (open ?m ?n))))
  (:derived (isolated ?n - node) (not (reach ?n)))
  (:derived (connected) (forall (?n - node) (reach ?n)))
  (:action open
    :parameters (?a ?b - node)
    :precondition (and (edge ?a ?b) (not (open ?a ?b)))
    :effect (open ?a ?b))
  ; Serving while some node is cut off raises the alarm.
  (:action serve
    :parameters (?n - node)
    :precondition (reach ?n)
    :effect (and (served ?n) (forall (?m - node) (when (isolated ?m) (alarm))))))
