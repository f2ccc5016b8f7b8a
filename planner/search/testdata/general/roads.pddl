; Action costs: a cost read from a static numeric fluent of the problem's
; :init, a constant cost, and an action that costs nothing.
(define (domain roads)
  (:requirements :typing :action-costs)
  (:types city)
  (:predicates (at ?c - city) (road ?a ?b - city) (visited ?c - city) (rested))
  (:functions (dist ?a ?b - city) - number (total-cost) - number)
  (:action drive
    :parameters (?a ?b - city)
    :precondition (and (at ?a) (road ?a ?b))
    :effect (and (not (at ?a)) (at ?b) (visited ?b) (increase (total-cost) (dist ?a ?b))))
  (:action teleport
    :parameters (?a ?b - city)
    :precondition (at ?a)
    :effect (and (not (at ?a)) (at ?b) (visited ?b) (increase (total-cost) 10)))
  (:action rest
    :parameters ()
    :effect (rested)))
